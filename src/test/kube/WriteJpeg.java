import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a baseline JPEG the size of the seed's photo (500x375, RGB) with smooth gradients and
 * noise, so that it decodes to a realistic amount of work: java WriteJpeg.java FILE
 */
public final class WriteJpeg {

    public static void main(String[] args) throws IOException {
        BufferedImage image = new BufferedImage(500, 375, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(23);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int r = (x * 255 / 500 + random.nextInt(32)) & 0xff;
                int g = (y * 255 / 375 + random.nextInt(32)) & 0xff;
                int b = ((x + y) * 255 / 875 + random.nextInt(32)) & 0xff;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        if (!ImageIO.write(image, "jpg", new File(args[0]))) {
            throw new IOException("no JPEG writer");
        }
    }
}
